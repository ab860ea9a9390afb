# SPDX-License-Identifier: Apache-2.0
"""The C API loaded through Python ctypes, as an FFI user would (argument 1: path of the .so)."""
import ctypes
import json
import sys

lib = ctypes.CDLL(sys.argv[1])
lib.crm_version.restype = ctypes.c_char_p
lib.crm_last_error.restype = ctypes.c_char_p
lib.crm_calendar_from_json.restype = ctypes.c_int
lib.crm_calendar_from_json.argtypes = [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]
lib.crm_calendar_add_working_time.restype = ctypes.c_int
lib.crm_calendar_add_working_time.argtypes = [ctypes.c_void_p, ctypes.c_int64, ctypes.c_int64,
                                              ctypes.POINTER(ctypes.c_int64)]
lib.crm_calendar_free.argtypes = [ctypes.c_void_p]

assert lib.crm_version() == b"0.2.0", lib.crm_version()
cal = ctypes.c_void_p()
spans = "09:00-12:00,13:30-18:00"
doc = ('{"time_zone":"Asia/Shanghai","base":"cn","hours":{%s}}'
       % ",".join('"%s":"%s"' % (d, spans) for d in ("mon", "tue", "wed", "thu", "fri")))
assert lib.crm_calendar_from_json(doc.encode(), ctypes.byref(cal)) == 0, lib.crm_last_error()
out = ctypes.c_int64(0)
start = 1759219200  # 2025-09-30 16:00 Asia/Shanghai
assert lib.crm_calendar_add_working_time(cal, start, 4 * 3600, ctypes.byref(out)) == 0
assert out.value == 1759978800, out.value  # 2025-10-09 11:00 Asia/Shanghai
assert lib.crm_calendar_add_working_time(cal, start, -1, ctypes.byref(out)) == 1  # CRM_EINVAL
assert b"seconds" in lib.crm_last_error()
assert out.value == 1759978800
lib.crm_calendar_free(cal)

# The ledger: an owned JSON buffer comes back through char** and goes back to crm_free().
for name, args in {"crm_db_open": [ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)],
                   "crm_db_put_policy": [ctypes.c_void_p, ctypes.c_char_p],
                   "crm_db_record_demand": [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)],
                   "crm_db_append_event": [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_char_p],
                   "crm_db_next_wakeup": [ctypes.c_void_p, ctypes.c_int64, ctypes.POINTER(ctypes.c_int64)],
                   "crm_db_changes": [ctypes.c_void_p, ctypes.c_char_p, ctypes.POINTER(ctypes.c_void_p)]}.items():
    getattr(lib, name).restype = ctypes.c_int
    getattr(lib, name).argtypes = args
lib.crm_db_close.argtypes = [ctypes.c_void_p]
lib.crm_free.argtypes = [ctypes.c_void_p]
db = ctypes.c_void_p()
assert lib.crm_db_open(b":memory:", ctypes.byref(db)) == 0, lib.crm_last_error()
policy = ('{"name":"p","version":"1","calendars":{"office":%s},'
          '"defaults":{"urgency":"general","category":"other","nature":"functional"},'
          '"targets":[{"name":"reply","within":{"working_hours":4},"met_by":"acknowledged"}]}' % doc)
assert lib.crm_db_put_policy(db, policy.encode()) == 0, lib.crm_last_error()
view = ctypes.c_void_p()
demand = '{"id":"D-1","received_at":%d,"title":"设备停机"}' % start
assert lib.crm_db_record_demand(db, demand.encode(), ctypes.byref(view)) == 0, lib.crm_last_error()
text = ctypes.string_at(view).decode()
lib.crm_free(view)
assert '"due_at":1759978800' in text, text  # the same 4 working hours across National Day
assert lib.crm_db_append_event(db, b"D-1", b'{"type":"resumed","at":1759219300,"actor":"a"}') == 4  # CRM_ESTATE
assert b"resumed needs an earlier paused" in lib.crm_last_error()
wake = ctypes.c_int64(0)
assert lib.crm_db_next_wakeup(db, start, ctypes.byref(wake)) == 0 and start < wake.value < 1759978800
# The change feed past the due time: recorded, then the breach at its own instant; the cursor resumes.
page = ctypes.c_void_p()
assert lib.crm_db_changes(db, b'{"until":1759978800}', ctypes.byref(page)) == 0, lib.crm_last_error()
answer = json.loads(ctypes.string_at(page).decode())
lib.crm_free(page)
assert [c["kind"] for c in answer["changes"]][0] == "recorded" and {"kind": "breached", "at": 1759978800}.items() <= \
    [c for c in answer["changes"] if c["kind"] == "breached"][0].items(), answer
again = json.dumps({"until": 1759978800, "cursor": answer["cursor"]}).encode()
assert lib.crm_db_changes(db, again, ctypes.byref(page)) == 0 and json.loads(ctypes.string_at(page).decode())["count"] == 0
lib.crm_free(page)

# Typed records through ctypes structs laid out as crmpolicy.h declares them (CRM_RECORDS_VERSION 1).
c_str = ctypes.c_char_p


class EventRecord(ctypes.Structure):
    _fields_ = [("demand", c_str), ("type", c_str), ("at", ctypes.c_int64), ("actor", c_str), ("id", c_str),
                ("comment", c_str), ("reason", c_str), ("satisfaction", ctypes.c_int), ("owner", c_str),
                ("department", c_str), ("urgency", c_str), ("category", c_str), ("nature", c_str),
                ("policy_version", c_str), ("into", c_str)]


class DemandRecord(ctypes.Structure):
    _fields_ = [("id", c_str), ("received_at", ctypes.c_int64)] + [
        (name, c_str) for name in ("channel", "category", "nature", "urgency", "title", "text", "department", "owner",
                                   "customer_id", "customer_tier", "customer_industry", "customer_size", "policy",
                                   "policy_version", "actor")] + [
        ("events", ctypes.POINTER(EventRecord)), ("event_count", ctypes.c_size_t)]


lib.crm_db_import_records.restype = ctypes.c_int
lib.crm_db_import_records.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.POINTER(DemandRecord), ctypes.c_size_t,
                                      ctypes.POINTER(EventRecord), ctypes.c_size_t, c_str, ctypes.POINTER(ctypes.c_void_p)]
own = (EventRecord * 1)(EventRecord(type=b"acknowledged", at=start + 600, actor=b"li"))
records = (DemandRecord * 2)(DemandRecord(id=b"D-2", received_at=start, title="设备停机".encode(), events=own, event_count=1),
                             DemandRecord(id=b"D-3", received_at=start, channel=b"fax"))
report = ctypes.c_void_p()
assert lib.crm_db_import_records(db, 1, records, 2, None, 0, b'{"skip_invalid":true}', ctypes.byref(report)) == 0, \
    lib.crm_last_error()
text = ctypes.string_at(report).decode()
lib.crm_free(report)
assert '"records":3' in text and '"demands":1,"events":1' in text and '"record":3' in text, text

# The ledger for an acting user: a salesman (scope own) reaches his own demands only.
for name in ("crm_db_record_demand_as", "crm_db_get_demand_as", "crm_db_append_event_as"):
    getattr(lib, name).restype = ctypes.c_int
lib.crm_db_record_demand_as.argtypes = [ctypes.c_void_p, c_str, c_str, ctypes.POINTER(ctypes.c_void_p)]
lib.crm_db_get_demand_as.argtypes = [ctypes.c_void_p, c_str, c_str, ctypes.c_int64, ctypes.POINTER(ctypes.c_void_p)]
lib.crm_db_append_event_as.argtypes = [ctypes.c_void_p, c_str, c_str, c_str]
guarded = policy.replace('"version":"1"', '"version":"2"')[:-1] + \
    ',"access":{"roles":{"sales":{"scope":"own","permissions":["demand.read","demand.write"]}}}}'
assert lib.crm_db_put_policy(db, guarded.encode()) == 0, lib.crm_last_error()
li = b'{"id":"li","role":"sales","department":"service"}'
mine = '{"id":"D-4","received_at":%d,"title":"咨询","owner":"li"}' % start
assert lib.crm_db_record_demand_as(db, li, mine.encode(), ctypes.byref(view)) == 0, lib.crm_last_error()
lib.crm_free(view)
assert lib.crm_db_get_demand_as(db, li, b"D-4", start + 60, ctypes.byref(view)) == 0, lib.crm_last_error()
assert json.loads(ctypes.string_at(view).decode())["owner"] == "li"
lib.crm_free(view)
assert lib.crm_db_get_demand_as(db, li, b"D-1", start + 60, ctypes.byref(view)) == 9  # CRM_EPERM: not his
assert lib.crm_db_append_event_as(db, li, b"D-4", b'{"type":"acknowledged","at":%d,"actor":"wang"}' % (start + 60)) == 9
assert lib.crm_db_append_event_as(db, li, b"D-4", b'{"type":"acknowledged","at":%d,"actor":"li"}' % (start + 60)) == 0, \
    lib.crm_last_error()
lib.crm_db_close(db)
print("capi_ctypes_smoke: 16 passed, 0 failed")
