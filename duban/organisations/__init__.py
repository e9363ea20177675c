"""单位与人员: the organisations in their hierarchy, and the people who act for them."""
