# review.py is the notebook's jupytext twin, not a module: importing it would run a review.
collect_ignore = ["review.py"]
