# Installs the built gleaner into a scratch prefix, builds tests/consumer against it with
# find_package(gleaner), and runs it with the installed packs (not the source tree's).
set(prefix "${BIN}/consumer-test/prefix")
set(build "${BIN}/consumer-test/build")
file(REMOVE_RECURSE "${BIN}/consumer-test")
execute_process(COMMAND ${CMAKE_COMMAND} --install "${BIN}" --prefix "${prefix}"
                RESULT_VARIABLE rc OUTPUT_QUIET)
if(rc)
  message(FATAL_ERROR "install failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S "${SRC}/tests/consumer" -B "${build}"
                        -DCMAKE_PREFIX_PATH=${prefix} -DCMAKE_BUILD_TYPE=Release
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "configure failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build "${build}" RESULT_VARIABLE rc
                OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "build failed:\n${out}\n${err}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -E env GLEANER_RULES_DIR=${prefix}/share/gleaner/rules
                        "${build}/consumer"
                RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
if(rc)
  message(FATAL_ERROR "consumer failed (${rc}):\n${out}\n${err}")
endif()
message(STATUS "consumer output: ${out}")
