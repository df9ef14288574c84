# Run by `cmake --install` (cmake/GreenbenchInstall.cmake): installs the
# headers a plugin compiles against, the roots and every header they include
# with #include "...", followed at install time so that a new #include needs
# no reconfigure. Inputs:
#   GREENBENCH_HEADER_ROOTS         include paths to start from ("greenbench/method.h", "util/error.h")
#   GREENBENCH_HEADER_DIRS          where include paths are found, in order
#   GREENBENCH_HEADER_DESTINATIONS  one per dir: where its headers go, under the install prefix
cmake_policy(PUSH)
cmake_policy(VERSION 3.18)  # install scripts start with no policies set; IN_LIST needs one
set(pending ${GREENBENCH_HEADER_ROOTS})
set(included_from "")  # parallel to pending: who included it, for the error message
foreach(root IN LISTS GREENBENCH_HEADER_ROOTS)
  list(APPEND included_from "the list of roots")
endforeach()
set(seen "")
while(pending)
  list(POP_FRONT pending header)
  list(POP_FRONT included_from from)
  if(header IN_LIST seen)
    continue()
  endif()
  list(APPEND seen ${header})
  set(source "")
  foreach(dir dir_destination IN ZIP_LISTS GREENBENCH_HEADER_DIRS GREENBENCH_HEADER_DESTINATIONS)
    if(EXISTS "${dir}/${header}")
      set(source "${dir}/${header}")
      set(destination "${dir_destination}")  # loop variables do not outlive the loop
      break()
    endif()
  endforeach()
  if(NOT source)
    # Every include is written from an include root ("model/bert.h"), so one
    # that is not under a root is generated or misspelt: a plugin could not compile.
    message(FATAL_ERROR "installing the greenbench headers: ${from} includes \"${header}\", "
                        "which is in none of ${GREENBENCH_HEADER_DIRS}")
  endif()
  get_filename_component(subdir "${header}" DIRECTORY)
  file(INSTALL DESTINATION "${CMAKE_INSTALL_PREFIX}/${destination}/${subdir}" TYPE FILE FILES "${source}")
  file(STRINGS "${source}" lines REGEX "^[ \t]*#[ \t]*include[ \t]*\"")
  foreach(line IN LISTS lines)
    string(REGEX REPLACE "^[ \t]*#[ \t]*include[ \t]*\"([^\"]+)\".*" "\\1" included "${line}")
    list(APPEND pending "${included}")
    list(APPEND included_from "${header}")
  endforeach()
endwhile()
cmake_policy(POP)
