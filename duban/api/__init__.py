"""The JSON REST API beside the pages (django-ninja): targets, milestones, reports, evidence
and every step of the loop, for office portals (OA) to connect to."""
