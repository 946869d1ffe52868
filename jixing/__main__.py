from jixing.cli import main

main()
