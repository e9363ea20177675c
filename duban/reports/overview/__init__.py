"""Bulletins (情况通报), dashboards and scoring (考评) over a period."""
