import sys

from bot.cli import main

if __name__ == "__main__":  # not when imported again as __mp_main__ by a worker process (faq._map_topics)
    sys.exit(main())
