"""Entry script of the PyInstaller bundle: the same `main()` as the `incidentkit` console script."""

from incidentkit.cli import main

if __name__ == "__main__":
    main()
