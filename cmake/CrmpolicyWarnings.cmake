# SPDX-License-Identifier: Apache-2.0
# Warnings are PRIVATE to our own targets: consumers of the installed package never inherit them.
function(crmpolicy_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wconversion -Wshadow)
  if(CRMPOLICY_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()
