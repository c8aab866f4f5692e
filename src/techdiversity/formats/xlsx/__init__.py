"""Excel workbooks (``.xlsx``): the whole plan, one sheet per table, read and written."""
