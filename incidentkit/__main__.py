"""`python -m incidentkit` runs the command line, as the `incidentkit` script does."""

from incidentkit.cli import main

if __name__ == "__main__":
    main()
