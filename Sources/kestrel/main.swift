print("kestrel: command-line tool (work in progress)")
