# Warnings for our own targets only (generated protobuf code is compiled without them).
function(mcpcap_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wnon-virtual-dtor)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    target_compile_options(${target} PRIVATE -Wshadow=local)
  else()
    target_compile_options(${target} PRIVATE -Wshadow-uncaptured-local)
  endif()
  if(MCPCAP_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
  if(MCPCAP_SANITIZE)
    # Any undefined behaviour stops the program, so a test cannot pass over it.
    target_compile_options(${target} PRIVATE -fsanitize=address,undefined
                           -fno-sanitize-recover=undefined -fno-omit-frame-pointer)
  endif()
endfunction()

# Our own code is instrumented (see mcpcap_warnings); generated protobuf code is not, so its
# objects are shared with the normal build through ccache. Every program links the runtimes.
if(MCPCAP_SANITIZE)
  add_link_options(-fsanitize=address,undefined)
endif()
