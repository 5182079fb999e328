"""Lähiö: the Kuopio neighbourhood programme's data turned into sites, print and channels.

The pipeline runs one way (see README.md): ``data`` (load, validate) → ``views`` (per language)
→ ``site`` / ``print`` / ``channels`` → an atomic write into ``site/``.
"""

__version__ = "0.1.0"
