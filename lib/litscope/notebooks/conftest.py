# review.py and screen.py are the notebooks' jupytext twins, not modules: importing them would
# run a review or a screening session.
collect_ignore = ["review.py", "screen.py"]
