import sys

from .cli import main

if __name__ == "__main__":  # a spawned index-building worker imports this module too
    sys.exit(main())
