# SPDX-License-Identifier: Apache-2.0
# Turns a text data file into a C++ source holding it as a string, so the data ships inside the
# library (no runtime file lookup) while staying a reviewable text file under data/.
# Usage: cmake -DINPUT=... -DOUTPUT=... -DSYMBOL=... -P EmbedText.cmake
file(READ "${INPUT}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "'\\\\x\\1'," bytes "${content}")
file(WRITE "${OUTPUT}.tmp"
  "// Generated from ${INPUT}; do not edit.\n"
  "#include <cstddef>\n"
  "namespace crm::detail {\n"
  "extern const char ${SYMBOL}[] = {${bytes} '\\0'};\n"
  "extern const std::size_t ${SYMBOL}_size = sizeof(${SYMBOL}) - 1;\n"
  "}\n")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
