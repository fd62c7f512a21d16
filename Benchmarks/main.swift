print("tapedeck-bench")
