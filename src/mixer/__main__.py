"""``python -m mixer`` runs the command line."""

from mixer_cli.main import main

if __name__ == "__main__":
    main()
