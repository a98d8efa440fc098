"""Entry script of the bundle's window executable: the same `main()` as the `incidentkit-gui` gui-script."""

from incidentkit.ui.launch import main

if __name__ == "__main__":
    main()
