"""
Everything that writes records from outside: Viasna's export (``viasna``, with its
free-text readers in ``viasna_parsing``), our own data package into an empty database
(``datapackage``), and the admin's spreadsheet import (``spreadsheet``). The last two
read files through the column definitions of ``prisoners.exports``, which wrote them.
"""
