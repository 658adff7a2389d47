"""The Oss demo: houses, rooms, people, bookings and three months of visits.

The facts (house names, areas, policy) are a copy of shared/data/oss.json kept in this
package; the product never reads outside its own tree at run time.
"""
