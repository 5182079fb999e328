"""Ground: QR codes as vectors and HTML to PDF, for print and social images; imports no layer."""

#: Given to every document: no ligatures. A ligature ("fi" in "graffitiseinä") is one glyph
#: whose text the PDF's text layer loses, so copying, searching and screen readers got
#: "gra tiseinä". Without them every word reads back whole; the look barely changes.
#: (On every element; its pseudo-elements inherit it: a rule for ``*::before`` as well would
#: make the PDF engine compute two more styles for every element.)
TEXT_LAYER_CSS = ("* { font-variant-ligatures: none; "
                  "font-feature-settings: \"liga\" 0, \"clig\" 0, \"dlig\" 0; }")

#: The address of a picture the print stage copied (``lahio-picture:<file name>``): the PDF
#: engine reads the file from the folder the document is rendered with (``pictures`` of
#: :func:`generator.render.pdf.render_document`). The HTML, and so the PDF, is then the same
#: wherever the project lies; the copies are named by their content.
PICTURE_SCHEME = "lahio-picture:"
