# SPDX-License-Identifier: Apache-2.0
# Install rules: headers, both libraries, an exported CMake package and a pkg-config file.
include(CMakePackageConfigHelpers)

set(CRMPOLICY_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/crmpolicy)

install(TARGETS crmpolicy crmpolicy_static EXPORT crmpolicyTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/include/crmpolicy DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
# The statutory data read at run time (README "The built-in China calendar": updating it).
install(FILES ${PROJECT_SOURCE_DIR}/data/calendars/cn.txt DESTINATION ${CMAKE_INSTALL_DATADIR}/crmpolicy/calendars)
install(EXPORT crmpolicyTargets NAMESPACE crmpolicy:: DESTINATION ${CRMPOLICY_CMAKE_DIR})

configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/crmpolicyConfig.cmake.in
  ${PROJECT_BINARY_DIR}/crmpolicyConfig.cmake INSTALL_DESTINATION ${CRMPOLICY_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/crmpolicyConfigVersion.cmake
  VERSION ${PROJECT_VERSION} COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/crmpolicyConfig.cmake ${PROJECT_BINARY_DIR}/crmpolicyConfigVersion.cmake
  DESTINATION ${CRMPOLICY_CMAKE_DIR})

# Usable straight from a build tree, too.
export(EXPORT crmpolicyTargets NAMESPACE crmpolicy:: FILE ${PROJECT_BINARY_DIR}/crmpolicyTargets.cmake)

file(RELATIVE_PATH CRMPOLICY_PC_RELATIVE_PREFIX
     ${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_LIBDIR}/pkgconfig ${CMAKE_INSTALL_PREFIX})
configure_file(${PROJECT_SOURCE_DIR}/cmake/crmpolicy.pc.in ${PROJECT_BINARY_DIR}/crmpolicy.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/crmpolicy.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
