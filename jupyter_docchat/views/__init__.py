"""Views: HTML and text renderings of answers, sources, history and status, and safe Markdown.

Every piece of document or model text is escaped here before it becomes HTML, Markdown or terminal
output. May import ``qa`` and everything below; never IPython, ipywidgets or traitlets, so the CLI
renders through it too.
"""
