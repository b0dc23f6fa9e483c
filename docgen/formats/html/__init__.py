"""HTML: the model written as HTML (``writer``) and the variables HTML templates receive
(``context``), shared by the PDF backend and, later, by a web edition."""
