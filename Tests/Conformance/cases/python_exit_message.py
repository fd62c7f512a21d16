try:
    quit("bye")
except SystemExit as e:
    print("caught", e)
exit("done")
