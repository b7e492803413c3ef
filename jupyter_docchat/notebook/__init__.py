"""The notebook layer: the magics, their argument parsing and configuration traits, the live display
of a streaming answer, progress of a background pass and the chat widget.

The only place that imports IPython, ipywidgets or traitlets (import-linter checks it in CI).
"""
