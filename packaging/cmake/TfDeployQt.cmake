# Deploys Qt into the install tree on Windows and macOS, as a step of `cmake --install` and therefore
# of every NSIS / DragNDrop package CPack builds. Linux packages depend on the distribution's Qt.
# Included by packaging/CMakeLists.txt only when WIN32 OR APPLE.
#
# Why windeployqt / macdeployqt are called directly rather than through
# qt_generate_deploy_qml_app_script() (Qt 6.3+; OUTPUT_SCRIPT from 6.5, FILENAME_VARIABLE before):
# that script scans for QML imports only in the *executable target's* source directory and its own
# generated .qrc files (Qt 6.4, Qt6QmlMacros.cmake: _qt_internal_scan_qml_imports uses
# -rootPath <target SOURCE_DIR>). Our views live in the static tf_qml module under qml/, linked
# into trading-floor, so the script would deploy no QML modules at all and the app would fail to
# load QtQuick.Controls. Both deploy tools take --qmldir / -qmldir=, which scans qml/ the same way
# on every Qt 6 version. docs/packaging.md has the manual equivalent of these steps.
option(TF_DEPLOY_QT "Copy Qt's libraries, plugins and QML modules next to the installed app" ON)
if(NOT TF_DEPLOY_QT)
    return()
endif()

set(_tf_qt_bin_hints)
if(QT6_INSTALL_PREFIX)
    list(APPEND _tf_qt_bin_hints ${QT6_INSTALL_PREFIX}/${QT6_INSTALL_BINS} ${QT6_INSTALL_PREFIX}/bin)
endif()
set(_tf_qml_source_dir ${PROJECT_SOURCE_DIR}/qml)

if(WIN32)
    find_program(TF_WINDEPLOYQT windeployqt HINTS ${_tf_qt_bin_hints})
    if(NOT TF_WINDEPLOYQT)
        message(FATAL_ERROR "windeployqt not found next to Qt (${_tf_qt_bin_hints}); pass -DTF_WINDEPLOYQT=<path> or -DTF_DEPLOY_QT=OFF")
    endif()
    # QtKeychain is not a Qt module, so windeployqt does not copy it.
    if(TARGET qt6keychain)
        install(IMPORTED_RUNTIME_ARTIFACTS qt6keychain RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    endif()
    # One run per executable: the CLI and the simulator use modules the app does not (HttpServer).
    foreach(_tf_program IN LISTS TF_INSTALLED_PROGRAMS)
        set(_tf_qmldir_arg "")
        if(_tf_program STREQUAL "trading-floor")
            set(_tf_qmldir_arg "--qmldir \"${_tf_qml_source_dir}\"")
        endif()
        install(CODE "
            set(_exe \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/${_tf_program}.exe\")
            message(STATUS \"windeployqt: \${_exe}\")
            execute_process(COMMAND \"${TF_WINDEPLOYQT}\" ${_tf_qmldir_arg} --verbose 0 \"\${_exe}\"
                RESULT_VARIABLE _rc)
            if(NOT _rc EQUAL 0)
                message(FATAL_ERROR \"windeployqt failed (\${_rc}) for \${_exe}\")
            endif()")
    endforeach()
elseif(APPLE)
    find_program(TF_MACDEPLOYQT macdeployqt HINTS ${_tf_qt_bin_hints})
    if(NOT TF_MACDEPLOYQT)
        message(FATAL_ERROR "macdeployqt not found next to Qt (${_tf_qt_bin_hints}); pass -DTF_MACDEPLOYQT=<path> or -DTF_DEPLOY_QT=OFF")
    endif()
    # The CLI and the simulator are installed inside the bundle (packaging/CMakeLists.txt) so that
    # -executable= points them at the bundle's frameworks too.
    set(_tf_extra_executables "")
    foreach(_tf_program IN LISTS TF_INSTALLED_PROGRAMS)
        if(NOT _tf_program STREQUAL "trading-floor")
            string(APPEND _tf_extra_executables
                " \"-executable=\${_bundle}/Contents/MacOS/${_tf_program}\"")
        endif()
    endforeach()
    install(CODE "
        set(_bundle \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/trading-floor.app\")
        message(STATUS \"macdeployqt: \${_bundle}\")
        execute_process(COMMAND \"${TF_MACDEPLOYQT}\" \"\${_bundle}\" \"-qmldir=${_tf_qml_source_dir}\"
                ${_tf_extra_executables} -always-overwrite -verbose=1
            RESULT_VARIABLE _rc)
        if(NOT _rc EQUAL 0)
            message(FATAL_ERROR \"macdeployqt failed (\${_rc}) for \${_bundle}\")
        endif()")
endif()
