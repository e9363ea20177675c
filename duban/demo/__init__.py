"""Demo data: the fictional city of 青溪市 in 东川省, so the product is worth opening before
anyone imports a file. All wording here is our own."""
