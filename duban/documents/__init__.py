"""来源文件: the documents targets are read from, and the character spans that ground them."""
