# Inputs built to make a careless engine slow or crash: each must finish well inside the test's
# timeout (see tests/CMakeLists.txt) with exit status 0. Not a speed test: before the fixes they
# took minutes (guard retries and veto checks grew with the square of the input).
set(work "${CMAKE_CURRENT_BINARY_DIR}/hostile_test_work")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")

string(REPEAT "100 " 16000 run)
string(REPEAT "${run}100x\n\n" 4 guards)
file(WRITE "${work}/guards.txt" "${guards}")
string(REPEAT "1999 " 200000 years)
file(WRITE "${work}/vetoes.txt" "${years}")
string(REPEAT "\"a " 100000 quotes)
file(WRITE "${work}/quotes.txt" "${quotes}")
string(REPEAT "x" 2000000 word)
file(WRITE "${work}/one-word.txt" "${word}")

foreach(input guards vetoes quotes one-word)
  execute_process(COMMAND "${GLEANER}" --format tsv "${work}/${input}.txt"
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_VARIABLE err)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${input}: exit ${rc}: ${err}")
  endif()
  message(STATUS "ok: ${input}")
endforeach()
