#!/usr/bin/python3
# SPDX-License-Identifier: Apache-2.0
"""Generates data/calendars/cn-lunar.txt: the Gregorian dates of the lunisolar days China's
statutory holidays fall on, 1970-2199, in Beijing time (UTC+8).

Source: the positions of the Sun and the Moon from PyEphem (Debian python3-ephem, libastro:
VSOP87 for the Sun, the ELP-2000 lunar theory), turned into the Chinese calendar by the rules of
GB/T 33661-2017 《农历的编算和颁行》:
  - a month begins on the Beijing date of a new moon (rule 4.2);
  - the month containing the winter solstice (冬至) is month 11 (rule 4.3);
  - between two months 11, when there are 13 months, the first one containing no major solar
    term (中气: the Sun's apparent longitude a multiple of 30 degrees) is the leap month, and
    takes the number of the month before it (rule 4.4);
  - 清明 is the Beijing date on which the Sun's apparent geocentric longitude reaches 15 degrees.
Checked against two independent tables, python3-lunardate (1900-2099) and Debian's
liblunar-date (1900-2100), by tests/cn_lunar_check.py.

Usage: scripts/generate_cn_lunar.py [OUTPUT]   (default data/calendars/cn-lunar.txt)
"""
import datetime
import math
import sys

import ephem

FIRST_YEAR, LAST_YEAR = 1970, 2199
BEIJING = 8 * ephem.hour


def beijing_date(t):
    return ephem.Date(t + BEIJING).datetime().date()


def solar_longitude(t):
    """The Sun's apparent geocentric ecliptic longitude of date, in degrees."""
    sun = ephem.Sun(ephem.Date(t))
    equatorial = ephem.Equatorial(sun.g_ra, sun.g_dec, epoch=ephem.Date(t))
    return math.degrees(ephem.Ecliptic(equatorial, epoch=ephem.Date(t)).lon) % 360.0


def solar_term(year, longitude):
    """The instant (ephem date, UTC) in `year` at which the Sun reaches `longitude` degrees."""
    # Near the March equinox plus the share of the year; then bisect on the signed difference.
    guess = ephem.Date(datetime.datetime(year, 3, 20)) + longitude / 360.0 * 365.2422
    def diff(t):
        return (solar_longitude(t) - longitude + 180.0) % 360.0 - 180.0
    lo, hi = guess - 15, guess + 15  # the Sun moves about a degree a day: one crossing in reach
    assert diff(lo) < 0 < diff(hi), (year, longitude)
    while hi - lo > 1e-6:  # a tenth of a second
        mid = (lo + hi) / 2
        if diff(mid) < 0:
            lo = mid
        else:
            hi = mid
    return ephem.Date((lo + hi) / 2)


def winter_solstice(year):
    return solar_term(year, 270.0)


def new_moons(start, end):
    """Beijing dates of every new moon from `start` to `end` (ephem dates)."""
    out, t = [], ephem.next_new_moon(start)
    while t < end:
        out.append(beijing_date(t))
        t = ephem.next_new_moon(t + 1)
    return out


def major_term_dates(first_year, last_year):
    """Beijing dates of every major solar term (longitude 0, 30, ..., 330) in those years."""
    dates = []
    for year in range(first_year, last_year + 1):
        for k in range(12):
            dates.append(beijing_date(solar_term(year, 30.0 * k)))
    return sorted(dates)


def months_of_sui(year, moons, majors):
    """The months from the one containing 冬至 of year-1 to the one before the month containing
    冬至 of year, each as (number, is_leap, first_day, first_day_of_next)."""
    solstice_a = beijing_date(winter_solstice(year - 1))
    solstice_b = beijing_date(winter_solstice(year))
    a = max(i for i, m in enumerate(moons) if m <= solstice_a)
    b = max(i for i, m in enumerate(moons) if m <= solstice_b)
    starts = moons[a:b + 1]
    count = b - a
    assert count in (12, 13), (year, count)
    leap_index = None
    if count == 13:
        for i in range(count):
            if not any(starts[i] <= d < starts[i + 1] for d in majors):
                leap_index = i
                break
        assert leap_index is not None, year
    months, number = [], 10
    for i in range(count):
        leap = i == leap_index
        if not leap:
            number = number % 12 + 1
        months.append((number, leap, starts[i], starts[i + 1]))
    return months


def lunar_day(months, number, day):
    for n, leap, first, _ in months:
        if n == number and not leap:
            return first + datetime.timedelta(days=day - 1)
    raise AssertionError((number, day))


def table():
    moons = new_moons(ephem.Date(datetime.datetime(FIRST_YEAR - 2, 10, 1)),
                      ephem.Date(datetime.datetime(LAST_YEAR + 1, 3, 1)))
    majors = major_term_dates(FIRST_YEAR - 2, LAST_YEAR + 1)
    rows = []
    for year in range(FIRST_YEAR, LAST_YEAR + 1):
        months = months_of_sui(year, moons, majors)
        new_year = lunar_day(months, 1, 1)
        assert new_year.year == year, year
        qingming = beijing_date(solar_term(year, 15.0))
        rows.append((year, new_year, qingming, lunar_day(months, 5, 5), lunar_day(months, 8, 15)))
    return rows


def main():
    path = sys.argv[1] if len(sys.argv) > 1 else "data/calendars/cn-lunar.txt"
    lines = [
        "# The lunisolar days of China's statutory holidays, 1970-2199, Beijing dates (UTC+8).",
        "# Generated by scripts/generate_cn_lunar.py (do not edit by hand) from the Sun and Moon",
        "# positions of PyEphem %s (Debian python3-ephem) by the rules of GB/T 33661-2017;" % ephem.__version__,
        "# checked against python3-lunardate and liblunar-date by tests/cn_lunar_check.py.",
        "# Far from today the instants carry the uncertainty of Delta T (minutes by 2199): a new moon",
        "# or 清明 within minutes of Beijing midnight may fall on the other day.",
        "# year spring_festival(正月初一) qingming(清明) duanwu(五月初五) zhongqiu(八月十五)",
    ]
    for year, new_year, qingming, duanwu, zhongqiu in table():
        lines.append("%d %s %s %s %s" % (year, new_year, qingming, duanwu, zhongqiu))
    with open(path, "w", encoding="utf-8") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
