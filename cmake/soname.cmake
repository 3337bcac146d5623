# pst_soname(VAR PREFIX NAME): the SONAME of libNAME, read from the shared
# library pkg-config found for PREFIX (pkg_check_modules' PREFIX_LINK_LIBRARIES),
# for the libraries postern opens with dlopen (src/core/dynlib.h): the name
# the build saw, never one written by hand. Stops the configuration when
# there is none to read.
function(pst_soname var prefix name)
  set(path "")
  foreach(lib IN LISTS ${prefix}_LINK_LIBRARIES)
    get_filename_component(base "${lib}" NAME)
    if(base MATCHES "^lib${name}\\.so")
      set(path "${lib}")
      break()
    endif()
  endforeach()
  if(NOT path)
    message(FATAL_ERROR "lib${name}: pkg-config names no shared library to open at run time "
      "(found: ${${prefix}_LINK_LIBRARIES})")
  endif()
  set(objdump "${CMAKE_OBJDUMP}")
  if(NOT objdump)
    find_program(objdump objdump REQUIRED)
  endif()
  execute_process(COMMAND "${objdump}" -p "${path}" OUTPUT_VARIABLE out RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0 OR NOT out MATCHES "\n *SONAME +([^ \n]+)")
    message(FATAL_ERROR "lib${name}: no SONAME in ${path} (objdump -p: ${rc})")
  endif()
  message(STATUS "lib${name}: SONAME ${CMAKE_MATCH_1}")
  set(${var} "${CMAKE_MATCH_1}" PARENT_SCOPE)
endfunction()
