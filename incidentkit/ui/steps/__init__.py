"""The Steps tab: the phase/step tree, the step detail, and the step actions."""
