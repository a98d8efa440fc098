"""Small widgets and helpers the window's parts share: rendering, editors, icons, messages."""
