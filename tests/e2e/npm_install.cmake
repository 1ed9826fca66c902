# cmake -DSRC=tests/e2e -DDEST=build/e2e-node -DPROBE=<package> -P npm_install.cmake
# Installs the pinned npm packages of SRC (its package-lock.json) into DEST; skipped when already
# current. PROBE names a package whose presence shows the install finished.
file(MAKE_DIRECTORY ${DEST})
set(stamp ${DEST}/node_modules/.mcpcap-lock)
if(EXISTS ${stamp} AND EXISTS ${DEST}/node_modules/${PROBE})
  file(READ ${stamp} old)
  file(READ ${SRC}/package-lock.json new)
  if(old STREQUAL new)
    message(STATUS "node modules of ${SRC} are current")
    return()
  endif()
endif()
configure_file(${SRC}/package.json ${DEST}/package.json COPYONLY)
configure_file(${SRC}/package-lock.json ${DEST}/package-lock.json COPYONLY)
execute_process(COMMAND npm ci --no-audit --no-fund --loglevel=error
                WORKING_DIRECTORY ${DEST} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "npm ci failed (${rc}) in ${DEST}: the tests need the npm registry once")
endif()
configure_file(${SRC}/package-lock.json ${stamp} COPYONLY)
