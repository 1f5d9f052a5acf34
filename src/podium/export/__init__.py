"""Sharing a lesson outside the site: ``podium export pdf`` prints built pages to PDF."""
