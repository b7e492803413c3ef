"""``%load_ext docchat`` loads jupyter-docchat."""

from jupyter_docchat import load_ipython_extension, unload_ipython_extension

__all__ = ["load_ipython_extension", "unload_ipython_extension"]
