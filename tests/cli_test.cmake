# The gleaner command line: options, exit codes, and a batch that keeps going past bad input.
# Run by ctest as: cmake -DGLEANER=... -DSRC=... -P cli_test.cmake
set(work "${CMAKE_CURRENT_BINARY_DIR}/cli_test_work")
file(REMOVE_RECURSE "${work}")
file(MAKE_DIRECTORY "${work}")

function(run_gleaner)
  cmake_parse_arguments(R "" "EXPECT_RC;INPUT_FILE;STDOUT_MATCH;STDERR_MATCH;NAME" "ARGS" ${ARGN})
  if(R_INPUT_FILE)
    execute_process(COMMAND "${GLEANER}" ${R_ARGS} INPUT_FILE "${R_INPUT_FILE}"
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  else()
    execute_process(COMMAND "${GLEANER}" ${R_ARGS}
                    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  endif()
  if(NOT rc STREQUAL "${R_EXPECT_RC}")
    message(FATAL_ERROR "${R_NAME}: exit ${rc}, want ${R_EXPECT_RC}\nstdout: ${out}\nstderr: ${err}")
  endif()
  if(R_STDOUT_MATCH AND NOT out MATCHES "${R_STDOUT_MATCH}")
    message(FATAL_ERROR "${R_NAME}: stdout does not match ${R_STDOUT_MATCH}:\n${out}")
  endif()
  if(R_STDERR_MATCH AND NOT err MATCHES "${R_STDERR_MATCH}")
    message(FATAL_ERROR "${R_NAME}: stderr does not match ${R_STDERR_MATCH}:\n${err}")
  endif()
  set(last_out "${out}" PARENT_SCOPE)
  message(STATUS "ok: ${R_NAME}")
endfunction()

run_gleaner(NAME help ARGS --help EXPECT_RC 0 STDOUT_MATCH "test-pack.*--jsonl.*--reference-date")
run_gleaner(NAME unknown-option ARGS --frobnicate EXPECT_RC 2 STDERR_MATCH "unrecognised option")
run_gleaner(NAME missing-file ARGS "${work}/nope.txt" EXPECT_RC 1 STDERR_MATCH "cannot open")
run_gleaner(NAME bad-pack ARGS --rules "${work}/nope.json" "${SRC}/examples/sample/news.txt"
            EXPECT_RC 2 STDERR_MATCH "not found")

run_gleaner(NAME sample-json ARGS --reference-date 2024-03-14 "${SRC}/examples/sample/news.txt"
            EXPECT_RC 0 STDOUT_MATCH "\"type\":\"date\".*\"type\":\"count\".*\"type\":\"quote\"")
string(FIND "${last_out}" "\"type\":\"location\"" has_location)
if(has_location EQUAL -1)
  message(FATAL_ERROR "sample-json: no location in the sample output")
endif()
# A work budget too small for the sample: the document fails with an error naming the limit.
run_gleaner(NAME max-work ARGS --max-work 1 "${SRC}/examples/sample/news.txt"
            EXPECT_RC 1 STDERR_MATCH "max_work_per_kilobyte")
run_gleaner(NAME max-work-bad ARGS --max-work lots "${SRC}/examples/sample/news.txt"
            EXPECT_RC 2 STDERR_MATCH "--max-work.* is invalid")
run_gleaner(NAME sample-tsv ARGS --format tsv "${SRC}/examples/sample/news.txt"
            EXPECT_RC 0 STDOUT_MATCH "^doc\tbegin\tend\ttype\ttext\tvalue\trule\n")

# CMake strings cannot hold an invalid byte; printf writes one (octal 377 = 0xFF).
execute_process(COMMAND printf "Police in Minsk detained \\377 12 people.\\n"
                OUTPUT_FILE "${work}/bad-utf8.txt")
run_gleaner(NAME invalid-utf8 ARGS --format tsv "${work}/bad-utf8.txt"
            EXPECT_RC 0 STDOUT_MATCH "location\tMinsk" STDERR_MATCH "invalid UTF-8")

# A batch with a malformed line and a bad date in the middle: every line gets an answer.
file(WRITE "${work}/batch.jsonl"
  "{\"id\": \"a\", \"text\": \"25 students were released in Minsk.\", \"reference_date\": \"2020-09-06\"}\n"
  "{this is not json\n"
  "{\"id\": \"c\", \"text\": \"today\", \"reference_date\": \"yesterday\"}\n"
  "{\"id\": \"d\", \"text\": \"Nine others remained in detention.\", \"reference_date\": null}\n")
run_gleaner(NAME jsonl-batch ARGS --jsonl "${work}/batch.jsonl" EXPECT_RC 1
            STDERR_MATCH "line 2: not JSON.*line 3: .*reference date")
string(REGEX MATCHALL "\n" newlines "${last_out}")
list(LENGTH newlines lines)
if(NOT lines EQUAL 4)
  message(FATAL_ERROR "jsonl-batch: want 4 output lines, got ${lines}:\n${last_out}")
endif()
if(NOT last_out MATCHES "\"id\":\"a\".*\"entity\":\"students\".*\"id\":\"d\".*\"value\":9")
  message(FATAL_ERROR "jsonl-batch: good lines lost their records:\n${last_out}")
endif()

run_gleaner(NAME jsonl-stdin ARGS --jsonl INPUT_FILE "${work}/batch.jsonl" EXPECT_RC 1
            STDOUT_MATCH "\"id\":\"a\"")
run_gleaner(NAME explain ARGS explain --reference-date 2020-09-06 "${SRC}/examples/sample/news.txt"
            EXPECT_RC 0 STDOUT_MATCH "doc\tbegin\tend\ttype\toutcome\trule.*accepted")
run_gleaner(NAME list-packs ARGS list-packs EXPECT_RC 0 STDOUT_MATCH "dates.*counts.*locations.*quotes")
run_gleaner(NAME test-pack ARGS test-pack "${SRC}/rules/counts.json" EXPECT_RC 0
            STDOUT_MATCH "[0-9]+ passed, 0 failed")

# A pack that needs a normaliser the tool lacks says so, and how to register one.
run_gleaner(NAME missing-normaliser ARGS test-pack "${SRC}/examples/custom_pack/doses.json"
            EXPECT_RC 2 STDERR_MATCH "unknown normaliser \"dose.amount\".*NormalizerRegistry::Register")
# The money pack runs in the tool: fields from captures, no C++.
file(WRITE "${work}/money.txt" "The council raised $2.5 million and 300 euros.")
run_gleaner(NAME money-pack ARGS --rules "${SRC}/examples/money/money.json" --format tsv
            "${work}/money.txt" EXPECT_RC 0
            STDOUT_MATCH "money\t\\$2.5 million\tamount=2500000 currency=USD.*money\t300 euros\tamount=300 currency=EUR")
