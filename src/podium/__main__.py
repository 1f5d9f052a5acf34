"""``python -m podium``."""

from podium.fastpath import main

if __name__ == "__main__":
    main()
