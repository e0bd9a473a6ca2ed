# Installs the built gleaner into a scratch prefix, moves the prefix, and uses it as a user
# would, with no GLEANER_* variable set and from another directory: the installed `gleaner`
# tool, a find_package(gleaner) project and a plain `pkg-config --cflags --libs gleaner` build.
# Each must extract all four record types with the packs built into the library.
set(root "${BIN}/consumer-test")
set(installed "${root}/installed-here")
set(prefix "${root}/then-moved-here")
file(REMOVE_RECURSE "${root}")
file(MAKE_DIRECTORY "${root}/work")

function(run what)
  execute_process(COMMAND ${CMAKE_COMMAND} -E env --unset=GLEANER_RULES_DIR ${ARGN}
                  WORKING_DIRECTORY "${root}/work"
                  RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  if(rc)
    message(FATAL_ERROR "${what} failed (${rc}):\n${out}\n${err}")
  endif()
  set(out "${out}" PARENT_SCOPE)
endfunction()

run("install" ${CMAKE_COMMAND} --install "${BIN}" --prefix "${installed}")
file(RENAME "${installed}" "${prefix}")

# The tool: all four types from the sample article.
run("installed gleaner" "${prefix}/bin/gleaner" --format tsv "${SRC}/examples/sample/news.txt")
foreach(type date count location quote)
  if(NOT out MATCHES "\t${type}\t")
    message(FATAL_ERROR "installed gleaner gave no ${type}:\n${out}")
  endif()
endforeach()

# find_package(gleaner).
run("configure" ${CMAKE_COMMAND} -S "${SRC}/tests/consumer" -B "${root}/build"
    -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release)
run("build" ${CMAKE_COMMAND} --build "${root}/build")
run("find_package consumer" "${root}/build/consumer")
message(STATUS "find_package consumer: ${out}")

# pkg-config, with nothing but the moved prefix's gleaner.pc to go on.
find_program(PKG_CONFIG pkg-config REQUIRED)
file(GLOB pc_dir LIST_DIRECTORIES true "${prefix}/lib*/pkgconfig" "${prefix}/lib*/*/pkgconfig")
run("pkg-config" ${CMAKE_COMMAND} -E env PKG_CONFIG_PATH=${pc_dir}
    ${PKG_CONFIG} --cflags --libs gleaner)
string(STRIP "${out}" flags)
separate_arguments(flags UNIX_COMMAND "${flags}")
if(NOT CXX)
  set(CXX c++)
endif()
run("pkg-config build" ${CXX} -std=c++20 "${SRC}/tests/consumer/main.cc" ${flags}
    -o "${root}/consumer-pc")
run("pkg-config consumer" "${root}/consumer-pc")
message(STATUS "pkg-config consumer: ${out}")
