#!/usr/bin/env python
from jixing.cli import main

if __name__ == "__main__":
    main()
