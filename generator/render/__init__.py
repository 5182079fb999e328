"""Ground: QR codes as vectors and HTML to PDF, for print and social images; imports no layer."""
