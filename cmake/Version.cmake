# cmake -DSOURCE_DIR=dir -DVERSION=x.y.z -DIN=version.cc.in -DOUT=version.cc -P Version.cmake
# Writes OUT with the project version and the source tree's git commit. Run at every build;
# configure_file leaves OUT untouched when nothing changed, so nothing is rebuilt needlessly.
execute_process(
  COMMAND git -C "${SOURCE_DIR}" describe --always --dirty --abbrev=12 --exclude=*
  OUTPUT_VARIABLE MCPCAP_GIT_COMMIT
  OUTPUT_STRIP_TRAILING_WHITESPACE
  ERROR_QUIET
  RESULT_VARIABLE git_result)
if(NOT git_result EQUAL 0 OR MCPCAP_GIT_COMMIT STREQUAL "")
  set(MCPCAP_GIT_COMMIT "unknown")  # a source tree without git (an unpacked archive)
endif()
set(MCPCAP_VERSION "${VERSION}")
configure_file("${IN}" "${OUT}" @ONLY)
