@echo off
rem Retail Visitor Analytics - edge collector (Windows store PCs).
rem   edge-collector CONFIG [--setting=value ...]   run the collector
rem   edge-collector check CONFIG                  validate CONFIG, try every camera and the server, then exit
rem Needs JAVA_HOME or java on the PATH (Java 17+). JAVA_OPTS adds JVM options (default -Xmx256m -XX:TieredStopAtLevel=1:
rem C1 JIT only, see EdgeCollectorMain.JVM_OPTIONS).
setlocal
set "HERE=%~dp0.."
set "JAVA=java"
if defined JAVA_HOME set "JAVA=%JAVA_HOME%\bin\java"
if not defined JAVA_OPTS set "JAVA_OPTS=-Xmx256m -XX:TieredStopAtLevel=1"
set "JAR="
for %%f in ("%HERE%\rva-edge-collector-*.jar") do set "JAR=%%f"
if not defined JAR (
  echo edge-collector: no rva-edge-collector-*.jar in %HERE% 1>&2
  exit /b 2
)
if "%~1"=="" (
  echo usage: edge-collector CONFIG [--setting=value ...] ^| edge-collector check CONFIG 1>&2
  exit /b 2
)
if /i "%~1"=="check" (
  if "%~2"=="" (
    echo usage: edge-collector check CONFIG 1>&2
    exit /b 2
  )
  "%JAVA%" %JAVA_OPTS% -jar "%JAR%" --check "--config=%~2"
  exit /b %ERRORLEVEL%
)
set "CONFIG=%~1"
shift
"%JAVA%" %JAVA_OPTS% -jar "%JAR%" "--config=%CONFIG%" %1 %2 %3 %4 %5 %6 %7 %8 %9
exit /b %ERRORLEVEL%
