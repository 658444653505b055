"""The portal's pages, one blueprint per part: ops, auth, home, offers, cases, checkins, team."""
