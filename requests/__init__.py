"""Request fulfilment. This package shadows the PyPI `requests`, which the project never uses."""
