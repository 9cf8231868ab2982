# tf_add_qt_test(<name> LABELS <label...> SOURCES <file...> [LIBRARIES <lib...>]
#                [ENVIRONMENT <VAR=value...>] [TIMEOUT <s>] [WITH_DISPLAY])
#
# Registers a Qt Test executable as one CTest test. Tests run offscreen by default; WITH_DISPLAY
# runs them on a real X display instead (the caller's, or a private Xvfb). Each test gets its own
# temporary HOME/XDG folders so it never touches the developer's settings or keychain.
function(tf_add_qt_test name)
    cmake_parse_arguments(ARG "WITH_DISPLAY" "TIMEOUT" "LABELS;SOURCES;LIBRARIES;ENVIRONMENT" ${ARGN})
    if(NOT ARG_LABELS)
        message(FATAL_ERROR "tf_add_qt_test(${name}): LABELS is required")
    endif()
    if(NOT ARG_TIMEOUT)
        set(ARG_TIMEOUT 300)
    endif()
    add_executable(${name} ${ARG_SOURCES})
    target_link_libraries(${name} PRIVATE Qt6::Test ${ARG_LIBRARIES})
    tf_set_warnings(${name})
    set(platform offscreen)
    if(ARG_WITH_DISPLAY)
        set(platform xcb)
        add_test(NAME ${name} COMMAND ${TF_WITH_DISPLAY} $<TARGET_FILE:${name}>)
    else()
        add_test(NAME ${name} COMMAND ${name})
    endif()
    set(sandbox ${CMAKE_CURRENT_BINARY_DIR}/${name}.home)
    set_tests_properties(${name} PROPERTIES
        LABELS "${ARG_LABELS}"
        TIMEOUT ${ARG_TIMEOUT}
        ENVIRONMENT "QT_QPA_PLATFORM=${platform};HOME=${sandbox};XDG_DATA_HOME=${sandbox}/data;XDG_CONFIG_HOME=${sandbox}/config;XDG_CACHE_HOME=${sandbox}/cache;${ARG_ENVIRONMENT}")
endfunction()
