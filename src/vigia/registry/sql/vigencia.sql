-- Establecimientos en funcionamiento en cada fecha D, con la fila de establecimientos vigente en D.
--
-- La fila vigente es la de «desde» más reciente que no sea posterior a D (capacidad y área pueden
-- cambiar con el tiempo; tipo, oficina regional y departamento no cambian). Un establecimiento cuyo
-- primer «desde» es posterior a D todavía no existe en D y no aparece.
--
-- Entradas: fechas(fecha), establecimientos. Salida: una fila por fecha y establecimiento.
SELECT f.fecha, e.codigo, e.nombre, e.tipo, e.oficina_regional, e.ubigeo_departamento, e.capacidad, e.area_m2, e.desde
FROM (SELECT DISTINCT codigo FROM establecimientos) c
CROSS JOIN fechas f
ASOF JOIN establecimientos e ON e.codigo = c.codigo AND e.desde <= f.fecha
