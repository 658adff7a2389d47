"""Reach statistics, host notes and maatschappelijk rendement."""
