"""目标任务: targets, their period milestones, progress reports, evidence and indicators."""
