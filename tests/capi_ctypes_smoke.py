"""The C API loaded through Python ctypes, as an FFI user would (argument 1: path of the .so)."""
import ctypes
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

assert lib.crm_version() == b"0.1.0", lib.crm_version()
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
print("capi_ctypes_smoke: 4 passed, 0 failed")
