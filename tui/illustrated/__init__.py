"""The illustrated guide (``educonnect guide``): the registration walked on the real app for
a demo family (``walk``), the guide's text for each step beside the screen's picture
(``document``, ``picture``), written as one self-contained HTML page (``page``) and a PDF
(``pdf``) into a folder that holds nothing else (``build``)."""
