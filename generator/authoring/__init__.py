"""Tools for the people who keep the site: new areas, live preview, build progress."""
